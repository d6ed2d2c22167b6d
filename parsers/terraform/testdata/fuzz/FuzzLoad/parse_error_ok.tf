go test fuzz v1
[]byte("resource \"aws_lb\" \"api\" {\n  idle_timeout = 9000 # want invalid-value \"idle_timeout 9000 on aws_lb.api\"\n}\n")
