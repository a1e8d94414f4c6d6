package io.logferry.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Loads the user's route files into the context after camel-main configured it (the shipped templates are
 * loaded by then), and, unless {@code logferry.routes.reload-enabled=false}, watches them once the context has
 * started. The watcher stops before the routes do, so no reload runs during shutdown.
 */
final class RouteFilesListener extends MainListenerSupport {

    static final String RELOAD_ENABLED = "logferry.routes.reload-enabled";
    static final String RELOAD_DELAY = "logferry.routes.reload-delay";

    private final String userRoutes;
    private RouteFiles routeFiles;
    private RouteFileWatcher watcher;

    RouteFilesListener(String userRoutes) {
        this.userRoutes = userRoutes;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        if (main.configure().isRoutesReloadEnabled()) {
            throw new IllegalStateException("camel.main.routes-reload-enabled is set: Camel's route reloading does"
                    + " not reload templatedRoute files and removes the shipped templates. logferry reloads its"
                    + " route files itself (" + RELOAD_ENABLED + ", on by default): remove"
                    + " camel.main.routes-reload-enabled from the configuration.");
        }
        routeFiles = new RouteFiles(main.getCamelContext());
        try {
            routeFiles.loadAll(RouteFileCheck.files(userRoutes));
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeException(e);
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        if (!Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{" + RELOAD_ENABLED + ":true}}"))) {
            return;
        }
        long delay = Long.parseLong(context.resolvePropertyPlaceholders("{{" + RELOAD_DELAY + ":500}}").strip());
        watcher = new RouteFileWatcher(routeFiles, RouteFileWatcher.directoriesOf(userRoutes), delay);
        try {
            context.addService(watcher, true, true);
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeException(e);
        }
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        if (watcher != null) {
            watcher.stop();
        }
    }
}
