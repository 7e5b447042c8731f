"""The engine: calendar, parameter and lever registries, random streams, state tables, loop."""
