go test fuzz v1
[]byte("keep = 30 # related invalid-value \"b.auto.tfvars sets keep = 30\"\n")
