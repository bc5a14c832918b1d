# the Karras grid t_0 = eps < ... < t_10 = T (N = 11) for each rho
# Written by the Plotting module of ConsistencyModels. The data is inline: edit this file
# and re-run  gnuplot 02-karras-grid.gp  (the PNG is written beside it)
$series1 << EOD
0.002 1
8.001800000000001 1
16.0016 1
24.0014 1
32.001200000000004 1
40.001000000000005 1
48.000800000000005 1
56.000600000000006 1
64.0004 1
72.0002 1
80 1
EOD
$series2 << EOD
0.002 2
0.8736200000000001 2
3.3292800000000002 2
7.36898 2
12.992720000000002 2
20.2005 2
28.99232 2
39.36818 2
51.32808000000001 2
64.87202 2
80.00000000000001 2
EOD
$series3 << EOD
0.002 3
0.16123774934709534 3
0.8918537928357018 3
2.6329614577171614 3
5.823674071242816 3
10.903104960664006 3
18.310367453232075 3
28.484574876198362 3
41.86484055681421 3
58.890277822330965 3
79.99999999999996 3
EOD
$series4 << EOD
0.0020000000000000013 7
0.01672075323499393 7
0.08508720268939021 7
0.3182832888392961 7
0.9654169263318955 7
2.515218976147159 7
5.838947631011886 7
12.381576138540881 7
24.40834178658012 7
45.313734075226606 7
80 7
EOD
$series5 << EOD
0.001999999999999999 14
0.008971617713110589 14
0.03479733137293647 14
0.11973557732410885 14
0.3726899217095025 14
1.0652721663325704 14
2.8296454854973394 14
7.052110368683578 14
16.619365846209956 14
37.2754524620735 14
79.99999999999993 14
EOD
set terminal pngcairo size 900,450 noenhanced
set output (strlen(ARG0) > 3 ? ARG0[1:strlen(ARG0)-2] . 'png' : '02-karras-grid.png')
set title 'the Karras grid t_0 = eps < ... < t_10 = T (N = 11) for each rho'
set xlabel 't (log scale)'
set ylabel 'rho'
set logscale x
set grid
set key outside right
plot $series1 using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#1f77b4' title 'rho = 1', \
     $series2 using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#ff7f0e' title 'rho = 2', \
     $series3 using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#2ca02c' title 'rho = 3', \
     $series4 using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#d62728' title 'rho = 7', \
     $series5 using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '#9467bd' title 'rho = 14'
unset output
