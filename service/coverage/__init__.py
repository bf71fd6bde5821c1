"""Coverage kept merged on write (issue 22): per segment and day, month and year."""
