// The umbrella module: `import ConsistencyModels` brings in every layer of the library.
@_exported import CMCore
