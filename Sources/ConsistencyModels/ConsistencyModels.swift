// The umbrella module: `import ConsistencyModels` brings in every layer of the library.
@_exported import CMCore
@_exported import CMStorage
@_exported import CMData
@_exported import CMNetwork
@_exported import CMMetrics
@_exported import CMTeacher
@_exported import CMTraining
@_exported import CMExperiments
