package rules

// Apache httpd examples for the rules shared by several formats.

func init() {
	missingBodySizeLimit.Examples = append(missingBodySizeLimit.Examples,
		Example{Name: "Apache ProxyPass without LimitRequestBody", Bad: true, Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName api.example.com
    ProxyPass "/" "http://127.0.0.1:8000/"
</VirtualHost>
`},
		Example{Name: "Apache limit set in the virtual host", Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName api.example.com
    LimitRequestBody 20971520
    ProxyPass "/" "http://127.0.0.1:8000/"
</VirtualHost>
`})
	unboundedBodySize.Examples = append(unboundedBodySize.Examples,
		Example{Name: "Apache LimitRequestBody 0", Bad: true, Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName upload.example.com
    LimitRequestBody 0
</VirtualHost>
`},
		Example{Name: "Apache bounded", Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName upload.example.com
    LimitRequestBody 104857600
</VirtualHost>
`})
	keepaliveDisabled.Examples = append(keepaliveDisabled.Examples,
		Example{Name: "Apache KeepAlive Off behind its own proxy", Bad: true, Archive: `-- httpd.conf --
Listen 80
Listen 8080
<VirtualHost *:80>
    ServerName www.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://127.0.0.1:8080/" ttl=2
</VirtualHost>
<VirtualHost *:8080>
    ServerName app.internal
    KeepAlive Off
</VirtualHost>
`},
		Example{Name: "Apache KeepAlive On", Archive: `-- httpd.conf --
Listen 80
Listen 8080
<VirtualHost *:80>
    ServerName www.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://127.0.0.1:8080/" ttl=2
</VirtualHost>
<VirtualHost *:8080>
    ServerName app.internal
    KeepAlive On
    KeepAliveTimeout 5
</VirtualHost>
`})
	keepaliveOrder.Examples = append(keepaliveOrder.Examples,
		Example{Name: "Apache pool without ttl in front of Apache", Bad: true, Archive: `-- httpd.conf --
Listen 80
Listen 8080
<VirtualHost *:80>
    ServerName www.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://127.0.0.1:8080/"
</VirtualHost>
<VirtualHost *:8080>
    ServerName app.internal
    KeepAliveTimeout 5
</VirtualHost>
`},
		Example{Name: "Apache ttl below the backend's keep-alive", Archive: `-- httpd.conf --
Listen 80
Listen 8080
<VirtualHost *:80>
    ServerName www.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://127.0.0.1:8080/" ttl=4
</VirtualHost>
<VirtualHost *:8080>
    ServerName app.internal
    KeepAliveTimeout 5
</VirtualHost>
`})
	invalidValue.Examples = append(invalidValue.Examples,
		Example{Name: "Apache KeepAliveTimeout 5m", Bad: true, Archive: `-- httpd.conf --
KeepAliveTimeout 5m
`},
		Example{Name: "Apache unknown ProxyPass parameter", Bad: true, Archive: `-- httpd.conf --
<VirtualHost *:80>
    LimitRequestBody 10485760
    ProxyPass "/" "http://127.0.0.1:8000/" idle_timeout=30
</VirtualHost>
`},
		Example{Name: "Apache minutes written mi", Archive: `-- httpd.conf --
KeepAliveTimeout 2mi
`})
	parseError.Examples = append(parseError.Examples,
		Example{Name: "Apache unclosed VirtualHost", Bad: true, Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName www.example.com
`},
		Example{Name: "Apache well formed", Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName www.example.com
</VirtualHost>
`})
}
