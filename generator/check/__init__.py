"""The check stage: validators over the rendered tree, one module each, one finding type."""
