// Pattern file missing
