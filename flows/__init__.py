"""Prefect flows that compose the pipeline's stages; Prefect appears only here."""
