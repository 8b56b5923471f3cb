"""The base layer: what every other layer may use and which uses nothing of simpact's.

Errors, named random streams, the contract's constants, the table of effect scales, number
formats and word tables, plug-in loading, result files, provenance and the version.
"""
