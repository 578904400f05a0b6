"""The vocabulary every stage shares. Depends on nothing else in sohoa."""
