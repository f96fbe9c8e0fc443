import Foundation
import Testing
import Yams
@testable import ScrubService

/// deploy/kubernetes must agree with the server it runs: the port the server listens on,
/// the probe paths it answers, its drain deadline, and the image's non-root user.
@Suite struct KubernetesManifestTests {
    static let folder = repositoryRoot.appendingPathComponent("deploy/kubernetes")

    /// Every document of every manifest, keyed by kind.
    static func manifests() throws -> [String: [String: Any]] {
        var byKind: [String: [String: Any]] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" }
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for document in try Yams.load_all(yaml: text) {
                guard let object = document as? [String: Any], let kind = object["kind"] as? String else { continue }
                #expect(byKind[kind] == nil, "two manifests of kind \(kind)")
                byKind[kind] = object
            }
        }
        return byKind
    }

    /// The server settings the pod runs with: the ConfigMap's server.yaml, then the
    /// container's CLAIMSCRUB_* variables, through the server's own loader.
    static func podSettings(_ m: [String: [String: Any]], container: [String: Any]) throws -> ServiceConfiguration {
        let data = try #require(m["ConfigMap"]?["data"] as? [String: String])
        let yaml = try #require(data["server.yaml"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-k8s-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("server.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var environment: [String: String] = [:]
        for entry in container["env"] as? [[String: Any]] ?? [] {
            if let name = entry["name"] as? String, let value = entry["value"] as? String { environment[name] = value }
        }
        environment["CLAIMSCRUB_CONFIG_FILE"] = nil
        return try ServiceConfiguration.load(flags: .init(configFile: file.path), environment: environment)
    }

    static func container(_ m: [String: [String: Any]]) throws -> (pod: [String: Any], container: [String: Any]) {
        let pod = try #require(((m["Deployment"]?["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let containers = try #require(pod["containers"] as? [[String: Any]])
        return (pod, try #require(containers.first { $0["name"] as? String == "claimscrub" }))
    }

    @Test func theContainerPortIsThePortTheServerListensOnFromAllAddresses() throws {
        let m = try Self.manifests()
        let (_, container) = try Self.container(m)
        let settings = try Self.podSettings(m, container: container)
        let ports = try #require(container["ports"] as? [[String: Any]])
        let http = try #require(ports.first { $0["name"] as? String == "http" })
        #expect(http["containerPort"] as? Int == settings.port)
        #expect(settings.host == "0.0.0.0", "a pod must listen beyond loopback")
        // The Service sends its traffic to that named port.
        let servicePorts = try #require((m["Service"]?["spec"] as? [String: Any])?["ports"] as? [[String: Any]])
        #expect(servicePorts.contains { $0["targetPort"] as? String == "http" || $0["targetPort"] as? Int == settings.port })
    }

    @Test func theSettingsFileIsWhereTheConfigMapIsMounted() throws {
        let m = try Self.manifests()
        let (pod, container) = try Self.container(m)
        let env = container["env"] as? [[String: Any]] ?? []
        let file = try #require(env.first { $0["name"] as? String == "CLAIMSCRUB_CONFIG_FILE" }?["value"] as? String)
        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        let configMapName = try #require((m["ConfigMap"]?["metadata"] as? [String: Any])?["name"] as? String)
        let volume = try #require(volumes.first { ($0["configMap"] as? [String: Any])?["name"] as? String == configMapName })
        let mount = try #require(mounts.first { $0["name"] as? String == volume["name"] as? String })
        let mountPath = try #require(mount["mountPath"] as? String)
        #expect(file == mountPath + "/server.yaml")
    }

    @Test func probesAskTheServersHealthAndReadinessPaths() throws {
        let m = try Self.manifests()
        let (_, container) = try Self.container(m)
        func httpGet(_ probe: String) -> [String: Any]? { (container[probe] as? [String: Any])?["httpGet"] as? [String: Any] }
        #expect(httpGet("livenessProbe")?["path"] as? String == "/healthz")
        #expect(httpGet("readinessProbe")?["path"] as? String == "/readyz")
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            let port = httpGet(probe)?["port"]
            #expect(port as? String == "http" || port as? Int == 8080, "\(probe) asks another port")
        }
        // The probes are routes the service serves, and exempt from API-key auth.
        let settings = try Self.podSettings(m, container: container)
        #expect(settings.auth.exemptPaths.contains("/healthz") && settings.auth.exemptPaths.contains("/readyz"))
    }

    @Test func theGracePeriodOutlastsPreStopAndTheDrainDeadline() throws {
        let m = try Self.manifests()
        let (pod, container) = try Self.container(m)
        let settings = try Self.podSettings(m, container: container)
        let grace = try #require(pod["terminationGracePeriodSeconds"] as? Int)
        var preStop = 0
        if let command = (((container["lifecycle"] as? [String: Any])?["preStop"] as? [String: Any])?["exec"] as? [String: Any])?["command"] as? [String],
           command.first?.hasSuffix("sleep") == true, let seconds = command.last.flatMap({ Int($0) }) {
            preStop = seconds
        }
        let drain = Int(settings.drainDeadline.components.seconds)
        #expect(drain > 0)
        #expect(grace > preStop + drain, "terminationGracePeriodSeconds \(grace) ≤ preStop \(preStop) + drain \(drain)")
    }

    @Test func thePodRunsAsTheImagesNonRootUserOnAReadOnlyRoot() throws {
        let m = try Self.manifests()
        let (pod, container) = try Self.container(m)
        let security = try #require(container["securityContext"] as? [String: Any])
        #expect(security["readOnlyRootFilesystem"] as? Bool == true)
        #expect(security["allowPrivilegeEscalation"] as? Bool == false)
        #expect((pod["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool == true)
        let dockerfile = try String(contentsOf: repositoryRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let user = try #require(dockerfile.split(separator: "\n").first { $0.hasPrefix("USER ") })
        let uid = try #require(Int(user.dropFirst(5).split(separator: ":")[0]))
        #expect(security["runAsUser"] as? Int == uid)
        #expect(dockerfile.contains("EXPOSE 8080"))
    }

    @Test func resourcesAreRequestedAndLimited() throws {
        let m = try Self.manifests()
        let (_, container) = try Self.container(m)
        let resources = try #require(container["resources"] as? [String: Any])
        for part in ["requests", "limits"] {
            let r = try #require(resources[part] as? [String: Any], "no \(part)")
            #expect(r["cpu"] != nil && r["memory"] != nil, "\(part) lacks cpu or memory")
        }
    }

    @Test func autoscalerAndDisruptionBudgetSelectTheDeployment() throws {
        let m = try Self.manifests()
        let deployment = try #require(m["Deployment"])
        let name = try #require((deployment["metadata"] as? [String: Any])?["name"] as? String)
        let hpa = try #require(m["HorizontalPodAutoscaler"]?["spec"] as? [String: Any])
        let target = try #require(hpa["scaleTargetRef"] as? [String: Any])
        #expect(target["kind"] as? String == "Deployment" && target["name"] as? String == name)
        let minReplicas = try #require(hpa["minReplicas"] as? Int)
        let maxReplicas = try #require(hpa["maxReplicas"] as? Int)
        #expect(minReplicas >= 2 && minReplicas <= maxReplicas)

        let podLabels = try #require((((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: String])
        let pdb = try #require(m["PodDisruptionBudget"]?["spec"] as? [String: Any])
        let pdbSelector = try #require((pdb["selector"] as? [String: Any])?["matchLabels"] as? [String: String])
        let serviceSelector = try #require((m["Service"]?["spec"] as? [String: Any])?["selector"] as? [String: String])
        for selector in [pdbSelector, serviceSelector] {
            #expect(selector.allSatisfy { podLabels[$0.key] == $0.value })
        }
        // The budget never blocks every eviction: at least one pod may always go.
        if let minAvailable = pdb["minAvailable"] as? Int { #expect(minAvailable < minReplicas) }
    }
}
