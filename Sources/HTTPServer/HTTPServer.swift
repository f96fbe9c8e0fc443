// The HTTP/1.1 server lands here (issue: HTTP/1.1 service).
