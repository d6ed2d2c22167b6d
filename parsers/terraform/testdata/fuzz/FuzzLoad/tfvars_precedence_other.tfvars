go test fuzz v1
[]byte("idle = 1\n")
