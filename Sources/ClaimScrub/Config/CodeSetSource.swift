/// Where the engine gets its ICD-10-CM releases from the configuration directory.
///
/// The single seam to the code-set importers: `ScrubEngine.load(configDirectory:)`
/// calls only this. It is to call `CodeSetLibrary.load(indexFile: dir + "/codesets/index.yaml")`
/// once that API exists on main; until then it reports that no loader is wired.
public enum CodeSetSource {
    public static func loadLibrary(configDirectory dir: String) throws(ConfigError) -> CodeSetLibrary {
        let index = dir + "/codesets/index.yaml"
        // Wired at merge: `do { return try CodeSetLibrary.load(indexFile: index) } catch { throw ConfigError(file: index, "\(error)") }`
        throw ConfigError(file: index, "no ICD-10-CM importer is linked into this build (CodeSetSource.loadLibrary)")
    }
}
