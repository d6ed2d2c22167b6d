go test fuzz v1
[]byte("env = \"prod\" # related keepalive-order \"terraform.tfvars sets env\"\n")
