module github.com/linkemu/linkemu

go 1.26
