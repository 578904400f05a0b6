-- Prefect's own database beside sohoa's index, in the same PostgreSQL (docker-compose.yml).
CREATE DATABASE prefect OWNER sohoa;
