# A syntax error: exit 2, and -w leaves the file byte for byte as it was
# (no temporary file either).
cp bad.aip gen.bad.aip
"$1" fmt -w gen.bad.aip 2>/dev/null
[ $? = 2 ] || exit 1
cmp bad.aip gen.bad.aip || exit 1
! ls -A | grep -q '^\.gen'
