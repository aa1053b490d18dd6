# Plots of the characterisation results (issue 3):
#   gnuplot -c tools/characterize/plots.gp <build>/characterization
# (the `characterize` target does this when gnuplot is installed).
if (ARGC >= 1) dir = ARG1
if (!exists("dir")) dir = "."
set datafile separator ","
set terminal pngcairo size 900,600 font ",11" noenhanced
set key top left
set grid

# Neuron transfer curve (seed 002 Fig. 1(b)).
set output dir."/dwneuron_transfer.png"
set title "DW neuron: detector conductance after a 3 ns pulse"
set xlabel "J_norm = J / J_max   (J_max = 0.5e12 A/m^2)"
set ylabel "G_norm"
set xrange [-0.25:1.05]
set yrange [-0.05:1.05]
plot dir."/dwneuron_transfer.csv" using 4:3 skip 1 with points pt 7 ps 1.2 title "dwspice (q-phi model)", \
     dir."/dwneuron_transfer_fit_curve.csv" using 1:2 skip 1 with lines lw 2 title "polynomial fit", \
     (x > 0 ? x : 0) with lines dt 2 lc rgb "gray" title "ReLU"
unset xrange
unset yrange

# Synapse staircases: conductance and wall position versus time.
set output dir."/dwsynapse_staircase.png"
set multiplot layout 2,2 title "Notched DW synapse: 10 ns pulses of increasing J (pulse k: J = k*step)"
do for [n in "5 10"] {
  set title n." notches: read-out conductance"
  set xlabel "time (ns)"
  set ylabel "G (mS)"
  set y2label "J (1e12 A/m^2)"
  set y2tics
  plot dir."/dwsynapse_staircase_".n."notch.csv" using ($1*1e9):($4*1e3) skip 1 with lines lw 2 title "G", \
       "" using ($1*1e9):($2/1e12) skip 1 axes x1y2 with lines lc rgb "gray" title "J"
  unset y2tics
  unset y2label
  set title n." notches: wall position"
  set ylabel "q (nm)"
  plot dir."/dwsynapse_staircase_".n."notch.csv" using ($1*1e9):($3*1e9) skip 1 with lines lw 2 title "q"
}
unset multiplot

# DW trajectories in the neuron for a few current densities.
set output dir."/dw_trajectory.png"
set title "DW neuron: wall position during and after a 3 ns pulse (detector between the dashed lines)"
set xlabel "time (ns)"
set ylabel "q (nm)"
set key outside right
set arrow 1 from graph 0, first 128 to graph 1, first 128 nohead dt 2
set arrow 2 from graph 0, first 384 to graph 1, first 384 nohead dt 2
# columns: 2 = J -0.1e12, then 3 + k for J = (k - 1)*0.05e12 ... (see the CSV header)
plot for [c in "2 8 12 16 20 22 24"] dir."/dwneuron_trajectories.csv" using ($1*1e9):(column(int(c))*1e9) \
     with lines lw 2 title columnhead(int(c))
