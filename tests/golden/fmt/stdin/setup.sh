# Standard input to standard output (the case's own command reads an empty
# stdin: no output); `-w` on stdin prints too, as there is no file to write.
set -e
printf 'package  demo\nparam a=1 # x\n' | "$1" fmt > gen.out
printf 'package demo\nparam a = 1 # x\n' > gen.want
cmp gen.out gen.want
printf 'package  demo\n' | "$1" fmt - > gen.out
printf 'package demo\n' | cmp - gen.out
printf 'package demo\n' | "$1" fmt -w > gen.out
printf 'package demo\n' | cmp - gen.out
# a syntax error on stdin is exit 2
status=0
printf 'package (\n' | "$1" fmt 2>/dev/null >/dev/null || status=$?
[ "$status" = 2 ]
