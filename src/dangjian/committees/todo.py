def committees_todo(user): return []
