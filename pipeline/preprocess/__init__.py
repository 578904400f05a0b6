"""Page preprocessing: one pure function per stage, composed by `pipeline.prepare`.

Every stage takes an array and parameters and returns a new array (the input is never
mutated), so each can be switched off, tested and benchmarked alone.
"""
