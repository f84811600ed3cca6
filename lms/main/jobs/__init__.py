"""The page of a background job: its progress while it runs, then what it produced."""
