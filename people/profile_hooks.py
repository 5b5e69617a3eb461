"""Dashboard panels and personal-data sections for profiles, equality monitoring and your data."""
