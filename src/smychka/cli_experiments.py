"""Commands for experiments across scenarios: compare, attribute."""
