/** The plugin's workflows, one per use case. */
export {}
