go test fuzz v1
[]byte("idle  = 4100\nkeep  = 10\ndelay = 4000 # related invalid-value \"terraform.tfvars sets delay = 4000\"\n")
