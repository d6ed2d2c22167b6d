# The shop's public load balancer: TLS ends here, requests go on to the
# nginx edge proxy (../nginx/nginx.conf), which listens on port 8080.
resource "aws_lb" "shop" {
  name               = "shop"
  load_balancer_type = "application"
  subnets            = var.public_subnets
  idle_timeout       = var.alb_idle_timeout
}

resource "aws_lb_target_group" "nginx" {
  name                 = "shop-nginx"
  vpc_id               = var.vpc_id
  port                 = 8080
  protocol             = "HTTP"
  deregistration_delay = 30

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.nginx.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
