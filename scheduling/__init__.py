"""The weekly planning engine: contract, CP-SAT model, evaluator. Imports no web stack."""
