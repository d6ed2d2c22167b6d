variable "vpc_id" {
  description = "VPC the shop runs in"
  type        = string
}

variable "public_subnets" {
  description = "Subnets of the public load balancer"
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate for shop.example.com"
  type        = string
}

variable "alb_idle_timeout" {
  description = "Seconds the ALB keeps an idle connection open, on both sides"
  type        = number
  default     = 120
}
