module jwtc/glue

go 1.19
