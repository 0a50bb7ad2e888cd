// Bad JSON
