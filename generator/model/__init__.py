"""The resolve stage's output: a plain, frozen deployment model per blueprint × environment."""
