# a requirement of 5,000 `or` terms on one line: too deep, and a long line
awk 'BEGIN { printf "package p\ncontrol PR.AA-01 { require false"; for (i = 0; i < 5000; i++) printf " or false"; printf " }\n" }' > gen.deep.aip
