"""Dashboard panels and personal-data sections for opportunities and applications."""
