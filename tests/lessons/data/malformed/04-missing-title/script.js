// Missing title
