# Transfer curves of the MNIST cells:
#   gnuplot -c tools/characterize/mnist_cells.gp <build>/mnist/cells
if (ARGC >= 1) dir = ARG1
if (!exists("dir")) dir = "."
set datafile separator ","
set terminal pngcairo size 1200,500 font ",11" noenhanced
set output dir."/transfer_curves.png"
set grid
set multiplot layout 1,2
set title "hidden_cell: layer-2 row drive vs column current"
set xlabel "column current (uA)"
set ylabel "equivalent rden-pulse amplitude (V)"
set key top left
plot dir."/hidden_transfer.csv" using ($1*1e6):2 skip 1 with linespoints pt 7 ps 0.4 title "outp", \
     dir."/hidden_transfer.csv" using ($1*1e6):3 skip 1 with linespoints pt 7 ps 0.4 title "outn"
set title "output_cell: sense current at t_classify vs column current"
set ylabel "i(vout) (uA)"
plot dir."/output_transfer.csv" using ($1*1e6):($2*1e6) skip 1 with linespoints pt 7 ps 0.4 title "i_sense"
unset multiplot
