"""Components: the registries a spec names by key (distributions, effect links, persistence
kinds, repayment rules), each with one ``get`` that raises the one clear error."""
