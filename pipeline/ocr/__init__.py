"""OCR: the engine interface, Tesseract, text normalisation, searchable PDFs, error measures."""
