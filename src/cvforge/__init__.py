"""cvforge: one resume profile, compiled through themes into PDF, DOCX and HTML."""

__version__ = "0.1.0"
