"""Commands that confront the model with the record: validate, calibrate."""
