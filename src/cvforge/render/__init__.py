"""One small renderer per output format, each reading the same Document."""
