// OpenBLAS's CBLAS interface (Debian: libopenblas-dev), for the MLP's matrix products.
#include <cblas.h>
