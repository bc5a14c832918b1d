import CMCore
