package rules

// Kubernetes examples for the rules shared by several formats.

import "strings"

// k8sWebDeployment is a gunicorn Deployment behind a Service; "ARGS"
// stands for more gunicorn arguments.
const k8sWebDeployment = `-- k8s/web.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/shop-web:1.4
          command: ["gunicorn", "--worker-class", "gthread", "--threads", "4", "ARGS", "shop.wsgi"]
          ports:
            - containerPort: 8000
          lifecycle:
            preStop:
              sleep: {seconds: 10}
          resources:
            limits: {memory: 512Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - port: 8000
      targetPort: 8000
`

func k8sIngress(annotations string) string {
	return `-- k8s/ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 20m
` + annotations + `spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8000
`
}

func k8sWeb(args string) string {
	return strings.Replace(k8sWebDeployment, `"ARGS"`, args, 1)
}

func init() {
	ignoredLBAttribute.Examples = append(ignoredLBAttribute.Examples,
		Example{Name: "Classic ELB idle timeout on an NLB Service", Bad: true, Archive: `-- svc.yaml --
apiVersion: v1
kind: Service
metadata:
  name: edge
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
    service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout: "300"
spec:
  type: LoadBalancer
  selector: {app: edge}
  ports:
    - port: 443
`},
		Example{Name: "idle timeout on a Classic ELB Service", Archive: `-- svc.yaml --
apiVersion: v1
kind: Service
metadata:
  name: edge
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout: "300"
spec:
  type: LoadBalancer
  selector: {app: edge}
  ports:
    - port: 443
`})
	keepaliveOrder.Examples = append(keepaliveOrder.Examples,
		Example{Name: "ingress-nginx pool outlives gunicorn's 2s default", Bad: true,
			Archive: k8sWeb(`"--bind", "0.0.0.0:8000"`) + k8sIngress("")},
		Example{Name: "gunicorn keep-alive above the ingress-nginx pool", Bad: false,
			Archive: k8sWeb(`"--bind", "0.0.0.0:8000", "--keep-alive", "75"`) + k8sIngress("")},
	)
	missingBodySizeLimit.Examples = append(missingBodySizeLimit.Examples,
		Example{Name: "ingress-nginx Ingress relies on 1m", Bad: true, Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: upload
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: upload
      port:
        number: 80
`},
		Example{Name: "ingress-nginx Ingress sets proxy-body-size", Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: upload
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 50m
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: upload
      port:
        number: 80
`})
	unboundedBodySize.Examples = append(unboundedBodySize.Examples,
		Example{Name: "ingress-nginx proxy-body-size 0", Bad: true, Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: registry
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: "0"
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: registry
      port:
        number: 5000
`},
		Example{Name: "ingress-nginx bounded", Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: registry
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 2g
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: registry
      port:
        number: 5000
`})
	invalidValue.Examples = append(invalidValue.Examples,
		Example{Name: "ingress-nginx timeout with a unit", Bad: true, Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/proxy-read-timeout: "120s"
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: api
      port:
        number: 80
`},
		Example{Name: "ingress-nginx unitless seconds", Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: api
      port:
        number: 80
`})
	skippedFile.Examples = append(skippedFile.Examples,
		Example{Name: "Helm template", Bad: true, Archive: `-- chart/templates/deployment.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  replicas: {{ .Values.replicaCount }}
`},
		Example{Name: "rendered manifest", Archive: `-- rendered.yaml --
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
data:
  greeting: "hello {{ name }}"
`})
}
