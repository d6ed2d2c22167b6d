go test fuzz v1
[]byte("idle = 4200\nkeep = 20\n")
