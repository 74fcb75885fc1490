"""One module per ``trellis`` subcommand; each exports ``command``."""
