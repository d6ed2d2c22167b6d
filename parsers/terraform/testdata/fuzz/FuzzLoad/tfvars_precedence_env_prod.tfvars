go test fuzz v1
[]byte("idle = 4300 # related invalid-value \"prod.tfvars sets idle = 4300\"\n")
