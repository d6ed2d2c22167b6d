go test fuzz v1
[]byte("resource \"aws_lb\" \"web\" {\n  idle_timeout = # want parse-error \"Terraform syntax\"\n}\n")
