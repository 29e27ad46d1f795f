import { render } from "preact";
import { App } from "./App";
import { installTestHooks } from "./lib/testhooks";
import "./styles.css";

installTestHooks();
render(<App />, document.getElementById("app")!);
