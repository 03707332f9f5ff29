"""Reading issued work-point documents (工作要点) into structure. Pure Python: no database access."""
