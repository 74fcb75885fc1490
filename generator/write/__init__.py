"""The write stage: the only stage that writes files."""
