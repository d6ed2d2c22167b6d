package rules

// Terraform examples for the shared rules. The tests run them: a Bad
// example must produce the rule's finding, a Good one none.
func init() {
	keepaliveOrder.Examples = append(keepaliveOrder.Examples,
		Example{Name: "CloudFront origin keep-alive equal to the ALB idle timeout", Bad: true, Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 60
}

resource "aws_cloudfront_distribution" "cdn" {
  origin {
    origin_id   = "alb"
    domain_name = aws_lb.web.dns_name
    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_keepalive_timeout = 60
    }
  }
}
`},
		Example{Name: "CloudFront origin keep-alive below the ALB idle timeout", Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 60
}

resource "aws_cloudfront_distribution" "cdn" {
  origin {
    origin_id   = "alb"
    domain_name = aws_lb.web.dns_name
    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_keepalive_timeout = 30
    }
  }
}
`},
	)
	invalidValue.Examples = append(invalidValue.Examples,
		Example{Name: "ALB idle_timeout above 4000 seconds", Bad: true, Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 5000
}
`},
		Example{Name: "ALB idle_timeout in range", Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 4000
}
`},
	)
	readTimeoutOrder.Examples = append(readTimeoutOrder.Examples,
		Example{Name: "CloudFront gives up before the ALB", Bad: true, Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 120
}

resource "aws_lb_target_group" "web" {
  port     = 8080
  protocol = "HTTP"
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_cloudfront_distribution" "cdn" {
  origin {
    origin_id   = "alb"
    domain_name = aws_lb.web.dns_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 60
    }
  }
}
-- nginx.conf --
events {}
http {
    server {
        listen 8080;
        keepalive_timeout 130s;
        client_max_body_size 10m;
        location / {
            proxy_read_timeout 150s;
            proxy_pass http://10.0.0.5:9000;
        }
    }
}
`},
		Example{Name: "CloudFront waits as long as the ALB", Archive: `-- main.tf --
resource "aws_lb" "web" {
  idle_timeout = 60
}

resource "aws_cloudfront_distribution" "cdn" {
  origin {
    origin_id   = "alb"
    domain_name = aws_lb.web.dns_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 60
    }
  }
}
`},
	)
}
